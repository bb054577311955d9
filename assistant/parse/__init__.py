"""Plan text in, records out (`PlanRecords`): prose blocks with section paths and source
spans (`prose`), tab-separated tables (`tsv`) and tables flattened cell by cell by PDF
extraction (`flattable`, `flatcells`) as labelled rows, the plan's identity (`planmeta`),
tasks, duties, reports and targets (`extract`), deadlines as dates (`deadlines`);
`plan.parse_plan` runs them in order. Pure functions."""
