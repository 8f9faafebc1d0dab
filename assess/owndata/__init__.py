"""Metrics from the organisation's own data: purchase invoices and Hilma notices.

Pure logic only (no Flask, no SQL): reading and checking the files, computing the yearly
figures, and turning figures into proposals for programme metrics.
"""
