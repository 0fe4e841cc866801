"""Staff dashboard: password login and the pages site staff use."""
