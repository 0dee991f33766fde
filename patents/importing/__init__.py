"""Bulk import of patent files.

A *parser* (one module per format in ``formats/``) streams a file and yields
``PatentRecord`` or ``RowError`` objects; the *writer* upserts records in
batches through the fastest path the database offers; ``run.py`` ties them
together with counting, progress and the error report.
"""
