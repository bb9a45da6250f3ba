/***************************************
 * A banner comment, common in real filters.
 **************************************/
keep;
