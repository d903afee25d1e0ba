# English UI, same numeric and date conventions as the Vietnamese documents it sits next to.
from borderzone.formats.vi.formats import *  # noqa: F403
