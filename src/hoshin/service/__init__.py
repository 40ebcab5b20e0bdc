"""Use cases shared by the CLI, the REST API and the web pages.

Storage side: `records` (what each record kind looks like, validation), `importing`
(`import_file`, `import_batches`), `exporting` (`export_kind`, `export_file`), `backup`
(`backup_file`, `restore_file`) and `demo` (`load_demo`). Modules are imported by callers directly,
so importing this package stays cheap.
"""
