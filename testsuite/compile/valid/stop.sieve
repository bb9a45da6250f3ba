if exists "X-Already-Filtered" { stop; }
keep;
