# 31 nested blocks: within the default nesting limit of 32.
if true { if true { if true { if true { if true { if true { if true { if true {
if true { if true { if true { if true { if true { if true { if true { if true {
if true { if true { if true { if true { if true { if true { if true { if true {
if true { if true { if true { if true { if true { if true { if true {
  keep;
} } } } } } } } } } } } } } } } } } } } } } } } } } } } } } }
