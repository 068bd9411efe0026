"""Staged spreadsheet imports of the loan book: the existing loans and bank statements.

upload (``staging.impor_buat``) -> validate every row (``staging.impor_validasi``) -> preview
-> commit all or nothing (``staging.impor_terapkan``). Files are read only through the project's
one safe reader (``sop.lembar``); the same code serves the screens, the background tasks and the
management commands.
"""
