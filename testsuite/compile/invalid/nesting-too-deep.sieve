# 40 nested blocks: beyond the nesting limit.
if true { if true { if true { if true { if true { if true { if true { if true {
if true { if true { if true { if true { if true { if true { if true { if true {
if true { if true { if true { if true { if true { if true { if true { if true {
if true { if true { if true { if true { if true { if true { if true { if true {
if true { if true { if true { if true { if true { if true { if true { if true {
  keep;
} } } } } } } } } } } } } } } } } } } } } } } } } } } } } } } } } } } } } } } }
