"""Files shared in a Slack thread: looked up with ``files.info``, downloaded from ``url_private``
with the bot token, size-limited, and loaded as tables (``graph.data.load_file``)."""

from __future__ import annotations

import urllib.request

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.outbox import transient
from graph.data import MAX_BYTES, DataError, load_file

TABLE_TYPES = ("csv", "tsv", "xlsx", "xlsm", "text")


def fetch(client: WebClient, shared: list[dict]) -> tuple[list[dict], list[DataError]]:
    """(loaded tables, errors) for the files of a message event. Files that are not tables (images,
    PDFs) are skipped; a file too large, unreadable or not a table gives a DataError. Raises the
    client's error when Slack is down or slow (``bot.outbox.transient``): the job runs again later
    rather than tell the user their file cannot be read."""
    tables, errors = [], []
    for item in shared:
        try:
            info = client.files_info(file=item["id"])["file"]
        except SlackApiError as err:
            if transient(err):
                raise
            errors.append(
                DataError(
                    "data.file_value_not_accessible",
                    value=item.get("name", item["id"]),
                    value2=err.response.get("error"),
                )
            )
            continue
        name = info.get("name") or item["id"]
        if info.get("filetype") not in TABLE_TYPES and not name.lower().endswith(
            (".csv", ".tsv", ".xlsx", ".xlsm")
        ):
            continue
        if int(info.get("size") or 0) > MAX_BYTES:
            errors.append(
                DataError("data.name_larger_than_value", name=name, value=MAX_BYTES // 1024 // 1024)
            )
            continue
        request = urllib.request.Request(
            info.get("url_private_download") or info["url_private"],
            headers={"Authorization": f"Bearer {client.token}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                content = response.read(MAX_BYTES + 1)
            tables.append(load_file(name, content))
        except DataError as err:
            errors.append(err)
        except OSError as err:
            if transient(err):  # Slack's file host down or unreachable: the job runs again
                raise
            errors.append(DataError("data.could_not_download_name", name=name, err=err))
    return tables, errors
