"""A snapshot on disk: its layout (``layout``: file names, column types, the manifest,
``Snapshot``), its checks (``validate``, ``parquet_checks``), the stamps that remember a
passed check (``stamps``) and atomic writing (``write``). Imports only core."""
