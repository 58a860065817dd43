import Testing
@testable import TriageEngine
import TriageTestSupport

@Suite struct StatusActionTests {
    let error = GroupTypeRegistry.builtIn.type(id: 1)!
    let uptime = GroupTypeRegistry.builtIn.type(id: 7001)!
    let forever = GroupState(status: .ignored, substatus: .forever)!

    @Test func test_targetsFromEachState() throws {
        #expect(try StatusAction.resolve.target(from: .new, type: error).get() == .resolved)
        #expect(try StatusAction.resolve.target(from: .resolved, type: error).get() == nil)
        #expect(try StatusAction.reopen.target(from: .resolved, type: error).get() == .ongoing)
        #expect(try StatusAction.reopen.target(from: forever, type: error).get() == .ongoing)
        #expect(try StatusAction.reopen.target(from: .regressed, type: error).get() == nil)
        #expect(try StatusAction.ignore(.forever).target(from: .new, type: error).get() == forever)
        #expect(try StatusAction.ignore(.forever).target(from: forever, type: error).get() == nil)
        #expect(try StatusAction.ignore(.untilEscalating).target(from: .new, type: error).get()
            == GroupState(status: .ignored, substatus: .untilEscalating))
        let condition = StatusAction.ignore(.untilCondition(IgnoreCondition(count: 5)))
        let conditionMet = GroupState(status: .ignored, substatus: .untilConditionMet)!
        #expect(try condition.target(from: conditionMet, type: error).get() == conditionMet, "a new condition replaces the old")
    }

    @Test func test_untilEscalatingNeedsEscalationDetection() {
        #expect(StatusAction.ignore(.untilEscalating).target(from: .new, type: uptime) ==
            .failure(TransitionRefusal(reason: "type uptime_domain_failure has no escalation detection")))
    }

    @Test func test_stateRejectsPairsTheSpecForbids() {
        #expect(GroupState(status: .resolved, substatus: .ongoing) == nil)
        #expect(GroupState(status: .ignored, substatus: .new) == nil)
        #expect(GroupState(status: .unresolved, substatus: nil) == nil)
        #expect(GroupState(status: .unresolved, substatus: .forever) == nil)
    }
}
