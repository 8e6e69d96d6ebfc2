"""What cleaner shows: the diff model (:mod:`.lines`) and the diff formats (:mod:`.formats` lists them), tables
and summaries (:mod:`.tables`, :mod:`.eval_tables`), and the console with its progress bars (:mod:`.console`)."""
