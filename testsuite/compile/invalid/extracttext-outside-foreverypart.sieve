require ["extracttext", "variables", "foreverypart"];
extracttext "text";
