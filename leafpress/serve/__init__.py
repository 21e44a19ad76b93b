"""``build.py serve``: a preview of the website on this computer, rebuilt and reloaded on every save.

One module per job:

- :mod:`~leafpress.serve.watch`: which project files changed (the build manifest's snapshot, polled);
- :mod:`~leafpress.serve.rebuild`: one build, as a subprocess, and the diagnostics it printed;
- :mod:`~leafpress.serve.builds`: the latest build, shared by the watcher and the web server;
- :mod:`~leafpress.serve.files`: a request path to a file inside ``dist/site`` (never outside it);
- :mod:`~leafpress.serve.inject`: the reload script and the problems banner, added to served HTML only;
- :mod:`~leafpress.serve.server`: the web server, on 127.0.0.1 only;
- :mod:`~leafpress.serve.command`: the command itself, until Ctrl-C.
"""
