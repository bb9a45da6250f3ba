if true {
  if false {
    keep;
  }
  if exists "X" {
    discard;
}
