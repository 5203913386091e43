"""The corpus: one record per company, site and fact across many documents (``pharmafacts consolidate``).

``read`` streams what ``extract`` wrote, ``consolidate`` merges (``matching`` for names,
``tolerance`` for figures), ``records`` is the JSON contract, ``writers`` the JSON, CSV and
xlsx outputs and the registry of known entities.
"""

from .consolidate import Consolidator, Corpus, consolidate
from .records import CorpusOutput

__all__ = ["Consolidator", "Corpus", "CorpusOutput", "consolidate"]
