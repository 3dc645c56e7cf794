"""Reading text: sentence spans, phrase lexicons compiled into one automaton, HTML reduced to text, and the
reading of files and standard input with their limits.

Layer 2: may import the base modules and ``evidence``.
"""
