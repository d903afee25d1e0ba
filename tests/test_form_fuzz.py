"""A bounded fuzzer over every form and list filter the URL resolver reaches: no input answers 500.

Each page of ``TARGETS`` (the access matrix's classification of every named URL) is opened as an
administrator (who may use every form) and as an officer of the jurisdiction. The forms the page
renders give the field names and the values a user would post; each field in turn then gets bad
values (wrong types, NUL bytes, unicode edge cases, extreme numbers and dates, tampered choices and
formset management fields), in the query string of list pages and in the body of form pages. A page
may refuse the input (200 with messages, 302, 403, 404, 405), never fail with a server error.

The values are rotated over the fields deterministically so that every value meets many fields
while the whole run stays at a few thousand requests.
"""

from __future__ import annotations

import itertools

import pytest
from django import forms
from django.core.signals import got_request_exception
from django.urls import reverse

from tests.test_access_matrix import POST_ONLY, TARGETS, world  # noqa: F401  (the matrix's world fixture)

pytestmark = pytest.mark.django_db

BAD_VALUES = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "9" * 40,
    "-1",
    "0",
    "²",
    "٣",
    "1e309",
    "NaN",
    "9999-12-31",
    "0001-01-01",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "31/02/2023",
    "2023-13-45T25:61",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "e\u0301",  # decomposed (NFD) "é"
    "\u202e\u0644\ufeff",
    "ǅ" * 3000,
    "c²",
    "a-1",
    "c99999999999999999999",
    "[]",
]
# Values a tampered formset management form may carry.
MANAGEMENT_VALUES = ["-1", "1000000", "abc", "", "\x00"]
PER_FIELD = 5
# Downloads read no form; logging out or in is the auth tests' business.
SKIPPED = {"logout", "login", "agreements:agreement_document", "reports:report_version_download"}


def page_forms(response) -> list[forms.BaseForm | forms.BaseFormSet]:
    """Every form and formset in the page's context."""
    found, seen = [], set()
    for context in response.context or []:
        for value in context.dicts if hasattr(context, "dicts") else [context]:
            for item in value.values() if isinstance(value, dict) else []:
                if isinstance(item, forms.BaseForm | forms.BaseFormSet) and id(item) not in seen:
                    seen.add(id(item))
                    found.append(item)
    return found


def rendered_values(form) -> dict[str, object]:
    """What the browser would post back for ``form`` as the page shows it."""
    if isinstance(form, forms.BaseFormSet):
        data = {}
        for sub in [form.management_form, *form.forms]:
            data.update(rendered_values(sub))
        return data
    data = {}
    for bound in form:
        value = bound.value()
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[bound.html_name] = [str(getattr(v, "pk", v)) for v in value]
        elif isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
        else:
            data[bound.html_name] = str(getattr(value, "pk", value))
    return data


def mutations(data: dict[str, object], offset: int):
    """One field at a time takes a few of the bad values (management fields their own)."""
    for index, name in enumerate(sorted(data)):
        if name == "csrfmiddlewaretoken":
            continue
        values = MANAGEMENT_VALUES if name.endswith(("TOTAL_FORMS", "INITIAL_FORMS")) else BAD_VALUES
        start = (offset + index * PER_FIELD) % len(values)
        for value in itertools.islice(itertools.cycle(values), start, start + min(PER_FIELD, len(values))):
            yield name, value


def fuzz_page(client, name: str, kwargs: dict, offset: int, failures: list) -> int:
    url = reverse(name, kwargs=kwargs)
    sent = 0
    if name in POST_ONLY:
        # Their forms live on the record's page: post the usual field names with bad values.
        base = {"status": "verifying", "note": "", "incident": "", "solved_at": "", "suspects_dealt_with": "",
                "outcome": "", "next": "/"}
        requests = [("post", url, {**base, field: value}) for field, value in mutations(base, offset)]
    else:
        response = client.get(url)
        sent += 1
        if response.status_code == 500:
            failures.append(f"GET {url}")
            return sent
        fields: dict[str, object] = {}
        for form in page_forms(response):
            fields.update(rendered_values(form))
        # Form pages take the fields in a POST body; list pages and dashboards in the query string.
        writes = name.split(":")[-1].endswith(("create", "update", "add", "delete", "confirm"))
        method = "post" if writes or name == "password_change" else "get"
        requests = [(method, url, {**fields, field: value}) for field, value in mutations(fields, offset)]
    for method, target, data in requests:
        response = getattr(client, method)(target, data)
        sent += 1
        if response.status_code == 500:
            shown = {k: (v[:20] + "…" if isinstance(v, str) and len(v) > 20 else v) for k, v in data.items()}
            failures.append(f"{method.upper()} {target} {shown}")
    return sent


@pytest.mark.parametrize("who", ["administrator", "officer"])
def test_no_bad_input_gives_a_server_error(client, world, who):  # noqa: F811
    client.raise_request_exception = False
    client.force_login(world.users[who])
    failures: list[str] = []
    errors: list[str] = []

    def record(sender, request=None, **kwargs):
        import sys

        exc = sys.exc_info()[1]
        errors.append(f"{request.method if request else '?'} {request.path if request else '?'}: {exc!r}")

    got_request_exception.connect(record)
    sent = 0
    try:
        for offset, (name, (target, _right)) in enumerate(sorted(TARGETS.items())):
            if name in SKIPPED:
                continue
            sent += fuzz_page(client, name, world.kwargs[target], offset, failures)
    finally:
        got_request_exception.disconnect(record)
    assert sent > 400  # the officer is refused most write pages (403) before any field is read
    assert failures == [], "\n".join(failures[:20] + sorted(set(errors))[:20])
