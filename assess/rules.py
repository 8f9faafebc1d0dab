"""The version of the rules that turn answers into results; it keys the cached results.

A final assessment's result is computed once and cached (storage.results). When the rules
change, those cached results must be computed again, so the cache stamp carries RULE_VERSION.
Raise it whenever scoring, team aggregation, next actions or the result's shape change.
tests/test_rules_version.py fails when a module in RULE_MODULES changes while
RULE_SOURCES_DIGEST still describes the old text: raise RULE_VERSION, then set the digest it
prints. (Thresholds and item lists are content: the content version already covers them.)
"""

from __future__ import annotations

RULE_VERSION = 2  # 2: a round counts only respondents who answered something
RULE_MODULES = ("scoring.py", "team.py", "results.py", "next_actions.py")
RULE_SOURCES_DIGEST = "6ae39aa2c5dcd9bb"  # last set when ruff format laid the code out; rules unchanged
