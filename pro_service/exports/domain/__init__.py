"""Pure export rules: score rows, SDTM QS rows and safe CSV lines."""
