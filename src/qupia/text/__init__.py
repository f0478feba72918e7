"""Text tools shared by the markings and content stages, below both: folding (:mod:`.fold`),
pattern-pack loading (:mod:`.patterns`) and what a regex's matches must contain
(:mod:`.literals`). Importing the package imports none of them."""
