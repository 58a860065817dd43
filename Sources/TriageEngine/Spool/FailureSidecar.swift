/// `failed/NAME.error.json`: `{"file": ..., "errors": [{"line": N or null, "field": ... or null, "reason": ...}]}`.
enum FailureSidecar {
    static func encode(file: String, rejections: [Rejection]) -> [UInt8] {
        var json = JSONWriter()
        json.beginObject()
        json.field("file", file)
        json.key("errors")
        json.beginArray()
        for rejection in rejections {
            json.beginObject()
            json.field("line", rejection.line)
            json.field("field", rejection.field)
            json.field("reason", rejection.reason)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json.bytes + [0x0A]
    }
}
