"""`manage.py check --deploy` passes on the production settings with a proper secret key, and fails on a weak one."""

import os
import secrets
import subprocess
import sys

from tools.devstack import REPO_ROOT

# Environment that would loosen or change the production defaults under test (the browser tests
# set DJANGO_ALLOW_ASYNC_UNSAFE for their own process; a deployment never has it).
OVERRIDES = (
    "DJANGO_DEBUG",
    "DJANGO_SECURE_SSL_REDIRECT",
    "DJANGO_SECURE_HSTS_SECONDS",
    "DJANGO_CSRF_TRUSTED_ORIGINS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


def check_deploy(secret_key: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in OVERRIDES}
    env.update(
        DJANGO_SETTINGS_MODULE="borderzone.settings.production",
        DJANGO_SECRET_KEY=secret_key,
        DJANGO_ALLOWED_HOSTS="bien-gioi.example.vn",
    )  # DATABASE_URL: whatever the test run uses
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_production_settings_pass_deploy_check():
    key = secrets.token_urlsafe(45)
    assert len(key) == 60
    result = check_deploy(key)
    assert result.returncode == 0, result.stdout + result.stderr


def test_weak_secret_key_fails_deploy_check():
    result = check_deploy("doi-mat-khau")
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr
