require ["extracttext", "variables", "foreverypart"];
foreverypart { extracttext "not-a-name"; }
