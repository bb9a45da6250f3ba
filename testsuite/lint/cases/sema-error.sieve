fileinto "x";
if header :contains "Subject" "" {
    keep;
}
