import { IsDefined } from 'class-validator';

/** A field that must be sent: its absence (or null) is reported as such, before any rule about its value. */
export const Required = (): PropertyDecorator => IsDefined({ message: '$property is required' });
