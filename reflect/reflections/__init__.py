"""Reflections: the verbs that views, tasks, the CLI and tests call, one module a concern.

A reflection freezes its documents (ids and content hashes) when it is created
(`asking`), runs in a worker that claims it with a conditional UPDATE (`running`,
`claims`, `engine`), can be cancelled, retried or deleted (`lifecycle`), and ends with
verified findings, the tokens and cost of every call, one notification and a live event
(`live`). `shape` is the JSON form the CLI and the API return.
"""
