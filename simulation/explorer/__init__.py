"""The interactive explorer: Mesa's SolaraViz page for the model (optional extra ``explorer``).

Start it with ``laborshift-explore`` (or ``python -m simulation.explorer``) and
open http://127.0.0.1:8765. :mod:`.model` turns the page's controls into a
validated config; :mod:`.app` holds the page; :mod:`.launch` serves it on
this machine, offline and without telemetry. Importing this package does not
import Solara.
"""

from .launch import main

__all__ = ["main"]
