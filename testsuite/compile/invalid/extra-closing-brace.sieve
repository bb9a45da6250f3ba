if true {
  keep;
}
}
