if size :under 0 {
    discard;
}
if allof (size :over 10K, size :under 5K) {
    discard;
}
if size :over 1M {
    if size :over 100K {
        discard;
    }
} elsif size :over 2M {
    keep;
}
