"""The analysts' exports: long-format scores, CDISC SDTM QS and completion (DESIGN §7)."""
