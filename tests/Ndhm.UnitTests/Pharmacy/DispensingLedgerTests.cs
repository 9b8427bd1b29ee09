using Ndhm.Pharmacy.Fulfilment;
using Ndhm.Pharmacy.Orders;
using Xunit;

namespace Ndhm.UnitTests.Pharmacy;

public sealed class DispensingLedgerTests
{
    private static readonly DispensingLedger Empty = new("p1", "91123456789012", [new LedgerItem(1, "D", 10)], []);

    [Fact]
    public void GivenAReservation_WhenAnotherOrderWantsMoreThanIsLeft_ThenItIsRefused()
    {
        var first = Empty.Reserve("o1", "IN2810000001", [(1, 7)])!;

        Assert.Null(first.Reserve("o2", "IN2810000002", [(1, 4)]));
        Assert.Equal(3, first.Remaining(1));
    }

    [Fact]
    public void GivenAReservation_WhenReservedAgainForTheSameOrder_ThenNothingChanges()
    {
        var first = Empty.Reserve("o1", "IN2810000001", [(1, 7)])!;

        Assert.Same(first, first.Reserve("o1", "IN2810000001", [(1, 7)]));
    }

    [Fact]
    public void GivenADispensedOrder_WhenReleased_ThenTheDispensedUnitsStayTaken()
    {
        var dispensed = Empty.Reserve("o1", "IN2810000001", [(1, 6)])!.Dispense("o1");

        var released = dispensed.Release("o1");

        Assert.Equal(6, released.Dispensed(1));
        Assert.Equal(4, released.Remaining(1));
    }

    [Fact]
    public void GivenAReservedOrder_WhenCancelled_ThenItsUnitsAreFreeAgain() =>
        Assert.Equal(10, Empty.Reserve("o1", "IN2810000001", [(1, 6)])!.Release("o1").Remaining(1));

    [Theory]
    [InlineData(OrderStatus.Placed, OrderStatus.Accepted, true)]
    [InlineData(OrderStatus.Placed, OrderStatus.Rejected, true)]
    [InlineData(OrderStatus.Accepted, OrderStatus.Packed, true)]
    [InlineData(OrderStatus.Packed, OrderStatus.Dispatched, true)]
    [InlineData(OrderStatus.Dispatched, OrderStatus.Delivered, true)]
    [InlineData(OrderStatus.Packed, OrderStatus.Cancelled, true)]
    [InlineData(OrderStatus.Placed, OrderStatus.Packed, false)]
    [InlineData(OrderStatus.Dispatched, OrderStatus.Cancelled, false)]
    [InlineData(OrderStatus.Rejected, OrderStatus.Accepted, false)]
    [InlineData(OrderStatus.Delivered, OrderStatus.Cancelled, false)]
    public void GivenAnOrderState_WhenAskedForANext_ThenOnlyTheLifecycleIsAllowed(OrderStatus from, OrderStatus to, bool allowed) =>
        Assert.Equal(allowed, OrderStatuses.CanMove(from, to));
}
