if allof (size :over 5K, size :under 10K) {
    keep;
}
if size :over 1M {
    discard;
} elsif size :over 100K {
    keep;
}
if anyof (size :over 10K, size :under 1K) {
    keep;
}
