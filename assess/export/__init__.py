"""An organisation's exports: the tables, gathered from storage (data), written as files."""
