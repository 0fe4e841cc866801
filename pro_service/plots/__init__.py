"""Server-side plots: pure functions from plain data to SVG text (no Flask, no database).

``svg`` holds the primitives (scales, ticks, escaping, the document frame); each kind of chart
lives in its own module and returns one ``<svg>`` string that scales to its column and prints.
"""
