"""A stand-in for Colab's ``google.colab`` package, put on the kernel's path by tools/colab_sim.py only.

Colab imports ``google.colab`` into every kernel before the first cell runs; the series' set-up cell takes
its Colab route when ``"google.colab" in sys.modules``. That import is all this stand-in provides: a notebook
that used anything else of Colab's API would fail in the simulation, as it should, since the series runs
everywhere else too.
"""

SIMULATED = True
