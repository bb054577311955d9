"""The command-line front end (`python -m assistant ...`): listing plans, tasks, units and
deadlines, asking (one question or a JSON-lines batch), evaluating and fitting the answer
model, adding and removing plans, and the console chat."""
