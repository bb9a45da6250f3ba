if true {} elsif false {} else {}
if exists "X" { }
