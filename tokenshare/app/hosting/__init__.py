"""The app as a hosted service: other snapshots on this machine and the owner's refresh
(``snapshots``), the background auto-refresh (``autorefresh``), who may spend the key
(``owner``, ``secrets``) and the server's garbage collection (``heap``)."""
