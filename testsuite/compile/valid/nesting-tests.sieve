if allof(anyof(not allof(true, not false), anyof(false, not not true)),
         not anyof(false, allof(false, true))) {
  keep;
}
