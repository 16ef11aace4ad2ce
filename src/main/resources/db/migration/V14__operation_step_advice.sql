-- What the operator does when the console stops during a step (kill, crash, power): written with the step when the
-- operation starts, so the console that finds the operation left RUNNING can say exactly what to check and do next.
alter table operation_step add column if_interrupted varchar(1000);
