require "foreverypart";
foreverypart :name "loop" {
  break :name "other";
}
