"""Slack's documented limits the bot writes within, in one place.

Sources (docs.slack.dev, checked 2026-11): Block Kit reference (blocks per message, header,
section, fields), the ``markdown`` block (12,000 characters shared by all markdown blocks of a
message), the ``table`` block (one per message, 100 rows, 20 cells per row), ``chat.postMessage``
(``text`` truncated past 40,000 characters), ``assistant.threads.setStatus`` (up to 10
``loading_messages``), the ``data_table`` block (a caption; a header row of ``raw_text`` cells and
up to 100 data rows, all the same length; 10,000 characters of cells; ``page_size`` 1-100; one
native table, ``table`` or ``data_table``, per message).
"""

MAX_BLOCKS = 50  # blocks in one message
HEADER_CHARS = 150  # header block text
SECTION_CHARS = 3000  # section block text
FIELD_CHARS = 2000  # one section field
FIELDS_PER_SECTION = 10
MARKDOWN_CHARS = 12000  # all markdown blocks of one message together
TABLES_PER_MESSAGE = 1
TABLE_ROWS = 100  # header row included
TABLE_CELLS = 20  # cells per row
LONG_LIST = (
    20  # a table with more rows than this is a long list: a data_table (paginated, sortable)
)
DATA_TABLE_ROWS = 100  # data rows of a data_table (header row not counted)
DATA_TABLE_CHARS = 10_000  # characters of all the cells of a data_table together
DATA_TABLE_PAGE = 10  # rows per page shown
TEXT_CHARS = 40000  # a message's text fallback
LOADING_MESSAGES = 10  # assistant.threads.setStatus
