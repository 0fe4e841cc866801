"""Pure SVG plots: data in, SVG text out (no Flask, no database)."""
