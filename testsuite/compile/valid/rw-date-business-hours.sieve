require ["date", "relational", "fileinto"];
if anyof (currentdate :zone "+0100" :value "lt" "hour" "08",
          currentdate :zone "+0100" :value "ge" "hour" "18",
          currentdate :is "weekday" ["0", "6"]) {
  fileinto "After-hours";
}
