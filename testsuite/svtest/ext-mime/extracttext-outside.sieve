require ["extracttext", "variables"];
extracttext "t";
