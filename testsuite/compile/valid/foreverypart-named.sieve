require ["foreverypart", "mime"];
foreverypart :name "outer" {
  foreverypart :name "inner" {
    if header :mime :type "Content-Type" "application" { break :name "outer"; }
    if header :mime :type "Content-Type" "text" { break :name "inner"; }
    if exists "X" { break; }
  }
}
