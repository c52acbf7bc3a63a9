"""No test may reach Anthropic: an empty ANTHROPIC_API_KEY (it wins over a developer's .env) keeps
every `marketing-bot` subprocess on the offline brain unless a test points it at a local stand-in."""

import os

os.environ["ANTHROPIC_API_KEY"] = ""
os.environ.pop("ANTHROPIC_BASE_URL", None)
