"""helpers: the shared code of the LSTM tutorial series.

Import what a notebook needs from its module, for example ``from helpers.rnn import RNN``.
"""

from helpers.session import Session, pick_device, seed_everything, setup

__all__ = ["Session", "pick_device", "seed_everything", "setup"]
__version__ = "0.1.0"
