"""cleaner inside other tools: a column of texts (:mod:`.series`: pandas, Dask DataFrames, Spark pandas UDFs) and a
datatrove pipeline step (:mod:`.datatrove_step`). Each needs its tool installed (``cleaner[pandas]``,
``cleaner[datatrove]``); :mod:`.texts` is what they share."""
