keep;
if true {
  keep;
}
