# SPDX-License-Identifier: BSD-3-Clause
"""Mica's host-side test runner (tests/run.py): core, parsers and tiers."""
