"""The build engine: what a build keeps between builds, and how it shares its work among cores.

Pure parts, no Pelican inside (plugins/build_engine connects them to Pelican's signals):
- fingerprint.py: what every kept entry is filed under (settings, code, packages, build date);
- store.py: the entries kept in BUILD_PATH/cache/, one file per kind;
- page_keys.py: a page's key from its named inputs;
- output_files.py: the output folder between rebuilds: write only what changed;
- parallel.py: the one way work is shared among processes (BUILD_WORKERS, BUILD_WORKER_TIMEOUT);
- services.py: `Engine`, which offers features letterpress/build_services.py's services.

Features never import this package: they use letterpress/build_services.py.
"""
