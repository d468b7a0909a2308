namespace Storage.SampleHost;

/// <summary>The body of <c>POST /tasks/{id}/claim</c>: <c>{"workerId":"..."}</c>. A missing worker id is refused by the store (422).</summary>
/// <param name="WorkerId">The worker claiming the task.</param>
internal sealed record ClaimTaskRequest(string? WorkerId);
